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
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ci from 'miniprogram-ci';

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

interface FunctionConfig {
  triggers?: Array<{ name: string; type: string; config: string }>;
}

async function main(): Promise<void> {
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
    for (const name of readdirSync(functionsDir)) {
      const dir = path.join(functionsDir, name);
      if (!existsSync(path.join(dir, 'index.js'))) continue;
      const result = await ci.cloud.uploadFunction({ project, env, name, path: dir, remoteNpmInstall: true });
      console.log(`云函数 ${name} 已上传：${result.filesCount} 个文件，${result.packSize} 字节`);
      const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as FunctionConfig;
      if (config.triggers?.length) {
        const answer = await ci.cloud.createTimeTrigger({ project, envId: env, functionName: name, triggersConfig: config.triggers });
        console.log(`云函数 ${name} 定时触发器：${answer}`);
      }
    }
  }

  if (!flag('--functions-only')) {
    execFileSync('npx', ['taro', 'build', '--type', 'weapp'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, LINLI_CLOUD_ENV: env },
    });
    const version = option('--version') ?? (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    await ci.upload({ project, version, desc: option('--desc') ?? `邻里一刻钟 ${version}`, robot: 1, setting: { es6: false, minify: true } });
    console.log(`小程序 ${version} 已上传，请在公众平台提交审核`);
  }
}

main().catch((error: unknown) => {
  console.error('部署失败：', error instanceof Error ? error.message : error);
  process.exit(1);
});
