#!/usr/bin/env node
import '../dist/imaged.mjs';
