import { createApp } from 'vue';
import { createPinia } from 'pinia';
import TunebenchApp from './TunebenchApp.vue';
import './styles/base.css';

createApp(TunebenchApp).use(createPinia()).mount('#app');
