// The broker process: aedes, an MQTT broker written in JavaScript, on PORT (127.0.0.1 only).
// The services reach it at BROKER_URL; in stage 12 the same clients talk to Mosquitto.
//
// aedes keeps its sessions and queued messages in memory: killing this process loses them.
// That is allowed for here (see src/adapters/mqtt.ts and the chapter): the publishers keep
// every event in their outboxes, and a consumer that finds its session gone asks them to
// publish the recent ones again; its inbox drops what it had already.

import net from 'node:net';
import { Aedes } from 'aedes';
import { exitWithSupervisor } from './supervisor.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region broker
const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port < 1) {
  console.error('broker-main.ts needs PORT (src/start.ts sets it)');
  process.exit(1);
}
const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.on('error', (error) => {
  console.error(`broker could not start: ${error.message}`);
  process.exit(1);
});
broker.on('client', (client) => console.log(`${client.id} connected`));
broker.on('clientDisconnect', (client) => console.log(`${client.id} disconnected`));
server.listen(port, '127.0.0.1', () => console.log(`MQTT broker (aedes, sessions in memory) listening on mqtt://127.0.0.1:${port}`));

const stop = () => {
  setTimeout(() => process.exit(0), 2000).unref();
  server.close();
  broker.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion broker
