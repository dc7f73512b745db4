import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_PUBLIC_DIR } from '../../src/admin/console-page.ts';

// The console's static files: citizens' text only ever enters the page as text, and nothing is loaded from
// the internet (no CDN, no remote fonts): the page works on a closed network and under its CSP.

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const all = files(CONSOLE_PUBLIC_DIR);
const scripts = all.filter((f) => f.endsWith('.js'));

describe('console static files', () => {
  it('are plain HTML, CSS and JS modules', () => {
    expect(all.map((f) => f.slice(CONSOLE_PUBLIC_DIR.length)).sort()).toEqual(expect.arrayContaining(['index.html', 'style.css', 'app.js', 'lib/dom.js', 'lib/api.js']));
    expect(all.every((f) => /\.(html|css|js)$/.test(f))).toBe(true);
  });

  it('never build HTML from strings', () => {
    for (const file of scripts) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser/);
    }
  });

  it('load nothing from another host', () => {
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/(src|href)=["']?(https?:)?\/\/|url\(\s*["']?(https?:)?\/\/|@import|from\s+["'](https?:)?\/\/|import\(\s*["'](https?:)?\/\/|fetch\(\s*["'`](https?:)?\/\//);
    }
  });

  it('use no inline script or style attribute that the CSP would block', () => {
    const html = readFileSync(join(CONSOLE_PUBLIC_DIR, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son\w+=/);
    for (const file of scripts) expect(readFileSync(file, 'utf8'), file).not.toMatch(/setAttribute\(\s*['"]style['"]|\bstyle:\s*[`'"]/);
  });
});
