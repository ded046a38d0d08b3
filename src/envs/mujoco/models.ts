/**
 * The project's own MJCF files (src/envs/mujoco/models/*.xml, copied next to the compiled
 * module by the build), read once per process.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

const cache = new Map<string, string>();

/** The MJCF text of a bundled model, e.g. `modelXml('hopper.xml')`. */
export function modelXml(file: string): string {
  let xml = cache.get(file);
  if (xml === undefined) {
    const url = new URL(`./models/${file}`, import.meta.url);
    try {
      xml = readFileSync(url, 'utf8');
    } catch (e) {
      throw new Error(`MuJoCo model ${file} is missing from the package (${url.pathname}): ${(e as Error).message}`, { cause: e });
    }
    cache.set(file, xml);
  }
  return xml;
}

/**
 * The MJCF of an env: the bundled `file`, or the user's `xmlFile` option (Gymnasium's
 * `xml_file`: a path, relative to the current directory) when given.
 */
export function envXml(envId: string, file: string, xmlFile: string | undefined): string {
  if (xmlFile === undefined) return modelXml(file);
  const path = isAbsolute(xmlFile) ? xmlFile : resolve(process.cwd(), xmlFile);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${envId}: cannot read option xmlFile ${JSON.stringify(xmlFile)}: ${(e as Error).message}`, { cause: e });
  }
}
