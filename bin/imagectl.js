#!/usr/bin/env node
import '../dist/imagectl.mjs';
