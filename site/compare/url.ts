// The one place that knows a compare page's address, for the build and the browser alike.
export const compareUrl = (from: string, to: string) => `/compare/${from}/${to}/`;
