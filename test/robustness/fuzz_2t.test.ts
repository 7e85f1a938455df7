// Property-based fuzzing of layers and cells with 2 threads: small cases stay on the calling
// thread, one in ten is large enough to split by batch rows or unit blocks (see fuzz_property.ts).
import fc from 'fast-check';
import { bigCaseArb, caseArb, fuzzSuite } from './fuzz_property.js';

fuzzSuite(2, fc.oneof({ weight: 9, arbitrary: caseArb }, { weight: 1, arbitrary: bigCaseArb }));
