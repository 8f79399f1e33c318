export default definePageConfig({ navigationBarTitleText: '探访覆盖' });
