/** Jest setup (setupFilesAfterEnv): after each test file, no daemon it started outlives it. */
import { killLeftoverDaemons } from './imaged-process.js';

afterAll(() => killLeftoverDaemons());
