/**
 * Deploy to WeChat Cloud with miniprogram-ci: every bundled function in dist-functions/ (with its
 * timer triggers), then the mini-program in dist/. Needs the network, the AppID, its code-upload
 * private key (WeChat 公众平台 → 开发管理 → 小程序代码上传) and the cloud environment id:
 *
 *   LINLI_APPID=wx… LINLI_PRIVATE_KEY_PATH=./private.key LINLI_CLOUD_ENV=prod-xxxx npm run deploy
 *
 * Options: --functions-only, --app-only, --version 1.2.3, --desc "…".
 * Create each function once in the console or DevTools first: a function uploaded for the first
 * time by miniprogram-ci gets old defaults (Node 8.9, 3 s) and not its config.json permissions.
 *
 * Triggers: WeChat allows one timer trigger per function; each config.json declares at most one
 * (checked by local/runtime/function-config.ts, which the local runtime applies too) and exactly
 * that one is created. Triggers left by earlier deploys under other names (before the single
 * "jobs" trigger: visits remindDue / reraiseFlags, volunteer autoCloseServices / recountPlaces)
 * are not removed by miniprogram-ci: delete them in the console.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFunctionConfig, type TimerTrigger } from '../local/runtime/function-config';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    console.error(`缺少环境变量 ${name}（见 README「部署到微信云开发」）`);
    process.exit(2);
  }
  return value;
}

/** What miniprogram-ci's createTimeTrigger answers when the trigger was created. */
const TRIGGER_CREATED = '创建定时触发器成功';

/**
 * The one timer trigger to create for a bundled function, from its config.json; null when it has
 * none. Throws (naming the function) on a config WeChat would refuse, e.g. two triggers.
 */
export function triggerToCreate(functionName: string, configText: string): TimerTrigger | null {
  const { triggers } = parseFunctionConfig(configText, functionName);
  return triggers[0] ?? null;
}

async function main(): Promise<void> {
  // Loaded here, not at the top: tests import triggerToCreate without miniprogram-ci's start-up.
  const ci = await import('miniprogram-ci');
  const appid = required('LINLI_APPID');
  const privateKeyPath = required('LINLI_PRIVATE_KEY_PATH');
  const env = required('LINLI_CLOUD_ENV');
  const project = new ci.Project({
    appid,
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath,
    ignores: ['node_modules/**/*'],
  });

  if (!flag('--app-only')) {
    execFileSync('npx', ['tsx', 'scripts/build-functions.ts'], { cwd: root, stdio: 'inherit' });
    const functionsDir = path.join(root, 'dist-functions');
    // Every config.json is checked (one trigger at most…) before anything is uploaded.
    const plan = readdirSync(functionsDir)
      .map((name) => ({ name, dir: path.join(functionsDir, name) }))
      .filter(({ dir }) => existsSync(path.join(dir, 'index.js')))
      .map(({ name, dir }) => ({
        name,
        dir,
        trigger: triggerToCreate(name, readFileSync(path.join(dir, 'config.json'), 'utf8')),
      }));
    for (const { name, dir, trigger } of plan) {
      const result = await ci.cloud.uploadFunction({
        project,
        env,
        name,
        path: dir,
        remoteNpmInstall: true,
      });
      console.log(`云函数 ${name} 已上传：${result.filesCount} 个文件，${result.packSize} 字节`);
      if (trigger) {
        const answer = await ci.cloud.createTimeTrigger({
          project,
          envId: env,
          functionName: name,
          triggersConfig: [trigger],
        });
        if (answer !== TRIGGER_CREATED)
          throw new Error(
            `云函数 ${name} 定时触发器 ${trigger.name}（${trigger.config}）创建失败：${answer}`,
          );
        console.log(`云函数 ${name} 定时触发器 ${trigger.name}（${trigger.config}）：${answer}`);
      }
    }
  }

  if (!flag('--functions-only')) {
    execFileSync('npx', ['taro', 'build', '--type', 'weapp'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, LINLI_CLOUD_ENV: env },
    });
    const version =
      option('--version') ??
      (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
        .version;
    await ci.upload({
      project,
      version,
      desc: option('--desc') ?? `邻里一刻钟 ${version}`,
      robot: 1,
      setting: { es6: false, minify: true },
    });
    console.log(`小程序 ${version} 已上传，请在公众平台提交审核`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('部署失败：', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
