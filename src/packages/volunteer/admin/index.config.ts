export default definePageConfig({ navigationBarTitleText: '志愿管理' });
