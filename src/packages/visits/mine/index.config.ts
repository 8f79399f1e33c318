export default definePageConfig({ navigationBarTitleText: '我的结对' });
