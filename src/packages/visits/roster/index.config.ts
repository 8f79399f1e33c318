export default definePageConfig({ navigationBarTitleText: '老人名册' });
