export default definePageConfig({ navigationBarTitleText: '生活圈地点管理' });
