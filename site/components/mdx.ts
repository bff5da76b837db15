// Everything a chapter can use without importing it, and the headings that get anchors.
import Excerpt from './Excerpt.astro';
import Solution from './Solution.astro';
import SolutionStat from './SolutionStat.astro';
import LineCount from './LineCount.astro';
import InstructorNotes from './InstructorNotes.astro';
import SourceCount from './SourceCount.astro';
import GrepCount from './GrepCount.astro';
import CodeValue from './CodeValue.astro';
import Measured from './Measured.astro';
import Table from './Table.astro';
import MeasuredOn from './MeasuredOn.astro';
import H2 from './H2.astro';
import H3 from './H3.astro';
import Diagram from './Diagram.astro';

export const mdxComponents = { Excerpt, Solution, SolutionStat, LineCount, SourceCount, GrepCount, CodeValue, Measured, MeasuredOn, InstructorNotes, Diagram, h2: H2, h3: H3, table: Table };
