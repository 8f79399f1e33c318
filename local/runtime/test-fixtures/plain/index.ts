export { main } from '../probe-handler';
