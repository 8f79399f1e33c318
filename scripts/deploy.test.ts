import fs from 'node:fs';
import path from 'node:path';
import { functionNames } from './build-functions';
import { triggerToCreate } from './deploy';

const ROOT = path.resolve(__dirname, '..');
const configText = (name: string) =>
  fs.readFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), 'utf8');

describe('deploy: timer triggers', () => {
  it('creates exactly one trigger per function that has one, from its config.json', () => {
    const triggers = Object.fromEntries(
      functionNames(ROOT).map((name) => [name, triggerToCreate(name, configText(name))]),
    );
    expect(triggers).toEqual({
      account: null,
      booking: { name: 'sweep', type: 'timer', config: '0 */5 * * * * *' },
      circle: null,
      visits: { name: 'jobs', type: 'timer', config: '0 */30 * * * * *' },
      volunteer: { name: 'jobs', type: 'timer', config: '0 */10 * * * * *' },
    });
  });

  it('refuses a config.json with two triggers before uploading anything', () => {
    const two = JSON.stringify({
      triggers: [
        { name: 'a', type: 'timer', config: '0 0 1 * * * *' },
        { name: 'b', type: 'timer', config: '0 */30 * * * * *' },
      ],
    });
    expect(() => triggerToCreate('visits', two)).toThrow(
      /^visits: config\.json declares 2 triggers \(a, b\); WeChat allows one timer trigger/,
    );
  });
});
