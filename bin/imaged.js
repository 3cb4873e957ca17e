#!/usr/bin/env node
import '../dist/src/cli/imaged.js';
