#!/usr/bin/env node
// Accessibility check of static HTML pages with axe-core in headless Chromium.
//
// Usage: node axe-check.mjs [--json REPORT.json] FILE.html [FILE.html ...]
//
// Each file is opened from file:// in one shared headless Chromium, axe-core is
// injected and run with the WCAG 2.0/2.1 level A and AA rules plus axe's best
// practices. Every failing element is printed as
//
//   path: [rule-id] impact: help (selector)
//
// followed by one summary line per file. With --json, a machine-readable report
// ({"files": [{"path", "url", "violations": [...]}]}) is also written to the
// given file.
//
// Exit status: 0 no violations, 1 violations found, 2 the check could not run
// (bad arguments, missing file, browser failure).
//
// The browser is never downloaded: it is the system Chromium at
// $CHROMIUM_PATH (default /usr/bin/chromium). Pages may only load file: and
// data: resources; anything else is blocked so that a check never depends on
// the network.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const PAGE_TIMEOUT_MS = 60_000;
const ALLOWED_SCHEMES = new Set(['file:', 'data:', 'about:', 'blob:']);

function usage(message) {
  if (message) console.error(`axe-check: ${message}`);
  console.error('usage: node axe-check.mjs [--json REPORT.json] FILE.html [FILE.html ...]');
  process.exit(2);
}

function parseArgs(argv) {
  const files = [];
  let json = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') {
      json = argv[i + 1];
      if (!json) usage('--json needs a file name');
      i += 1;
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) usage('no HTML files given');
  return { files, json };
}

// axe gives each node's target as a list of selectors, one per frame or shadow
// root crossed; nested lists appear for shadow DOM.
function selectorOf(target) {
  return target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' | ');
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

async function checkFile(browser, axeSource, file) {
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await page.setViewport({ width: 1280, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const scheme = new URL(request.url()).protocol;
      if (ALLOWED_SCHEMES.has(scheme)) request.continue();
      else request.abort('blockedbyclient');
    });
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(oneLine(error.message)));

    const url = pathToFileURL(resolve(file)).href;
    const response = await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    if (response && !response.ok()) {
      throw new Error(`could not load ${url} (status ${response.status()})`);
    }
    await page.evaluate(axeSource);
    const results = await page.evaluate(
      (tags) =>
        window.axe.run(document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
        }),
      AXE_TAGS,
    );
    const violations = [];
    for (const rule of results.violations) {
      for (const node of rule.nodes) {
        violations.push({
          id: rule.id,
          impact: node.impact || rule.impact || 'unknown',
          help: oneLine(rule.help),
          helpUrl: rule.helpUrl,
          tags: rule.tags,
          selector: selectorOf(node.target),
          html: node.html,
        });
      }
    }
    return { path: file, url, violations, pageErrors };
  } finally {
    await page.close();
  }
}

async function main() {
  const { files, json } = parseArgs(process.argv.slice(2));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) usage(`no such file: ${missing.join(', ')}`);
  if (!existsSync(CHROMIUM)) {
    console.error(
      `axe-check: Chromium not found at ${CHROMIUM}; install it with ` +
        '`apt-get install -y chromium` or set CHROMIUM_PATH',
    );
    process.exit(2);
  }

  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const profile = mkdtempSync(join(tmpdir(), 'axe-check-profile-'));
  let browser;
  const reports = [];
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: LAUNCH_ARGS,
      timeout: PAGE_TIMEOUT_MS,
    });
    for (const file of files) {
      const report = await checkFile(browser, axeSource, file);
      reports.push(report);
      for (const v of report.violations) {
        console.log(`${file}: [${v.id}] ${v.impact}: ${v.help} (${v.selector})`);
      }
      const n = report.violations.length;
      console.log(`${file}: axe: ${n} violation${n === 1 ? '' : 's'}`);
    }
  } finally {
    if (browser) await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }

  if (json) {
    const axeVersion = require('axe-core/package.json').version;
    writeFileSync(json, `${JSON.stringify({ axe: axeVersion, tags: AXE_TAGS, files: reports }, null, 2)}\n`);
  }
  return reports.some((report) => report.violations.length > 0) ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(`axe-check: ${error && error.stack ? error.stack : error}`);
    process.exit(2);
  },
);
