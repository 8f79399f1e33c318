export default definePageConfig({
  navigationBarTitleText: '邻里一刻钟',
  enablePullDownRefresh: true,
});
