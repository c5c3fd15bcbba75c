/** The schedules live in core/api (one implementation, shared with the wizard's preview). */
export { lrAt, scheduleDefaults, scheduleUsesHorizon, type ScheduleParams } from '../api/schedules.js';
