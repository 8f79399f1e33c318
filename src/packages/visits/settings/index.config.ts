export default definePageConfig({ navigationBarTitleText: '探访周期设置' });
