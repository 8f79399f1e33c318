export default definePageConfig({ navigationBarTitleText: '认领与确认' });
