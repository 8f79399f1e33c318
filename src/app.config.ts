export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/circle/index',
    'pages/booking/index',
    'pages/volunteer/index',
    'pages/me/index',
  ],
  subPackages: [
    {
      root: 'packages/account',
      pages: ['sign-in/index'],
    },
    {
      root: 'packages/volunteer',
      pages: [
        'register/index',
        'post/index',
        'mine/index',
        'rewards/index',
        'admin/index',
        'compose/index',
        'claims/index',
      ],
    },
    {
      root: 'packages/booking',
      pages: ['slots/index', 'mine/index', 'admin/index'],
    },
    {
      root: 'packages/visits',
      pages: [
        'mine/index',
        'log/index',
        'elder/index',
        'roster/index',
        'edit/index',
        'coverage/index',
        'flags/index',
        'access/index',
        'settings/index',
      ],
    },
    {
      root: 'packages/circle',
      pages: ['places/index', 'editor/index', 'import/index'],
    },
  ],
  // The visit form must open with no signal: its subpackage is fetched while the screens that
  // lead to it are shown (志愿, 我的, 首页), not when the volunteer first taps 记录探访.
  preloadRule: {
    'pages/volunteer/index': { network: 'all', packages: ['packages/visits'] },
    'pages/me/index': { network: 'all', packages: ['packages/visits'] },
    'pages/index/index': { network: 'all', packages: ['packages/visits'] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里一刻钟',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f4',
  },
  tabBar: {
    color: '#6b7280',
    selectedColor: '#0f766e',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/circle/index',
        text: '生活圈',
        iconPath: 'assets/tab/circle.png',
        selectedIconPath: 'assets/tab/circle-active.png',
      },
      {
        pagePath: 'pages/booking/index',
        text: '预约',
        iconPath: 'assets/tab/booking.png',
        selectedIconPath: 'assets/tab/booking-active.png',
      },
      {
        pagePath: 'pages/volunteer/index',
        text: '志愿',
        iconPath: 'assets/tab/volunteer.png',
        selectedIconPath: 'assets/tab/volunteer-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
  // 生活圈: the walking bands may be centred on the resident's own location, when they allow it.
  requiredPrivateInfos: ['getLocation'],
  permission: {
    'scope.userLocation': { desc: '用于以你所在位置为中心，显示步行 15 分钟内的便民服务' },
  },
});
