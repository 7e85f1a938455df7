// Property-based fuzzing of layers and cells on the single-thread build (see fuzz_property.ts).
import { caseArb, fuzzSuite } from './fuzz_property.js';

fuzzSuite(1, caseArb);
