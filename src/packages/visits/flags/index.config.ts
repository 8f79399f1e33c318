export default definePageConfig({ navigationBarTitleText: '紧急情况' });
