export { loadPartitionsConfig, PartitionsConfigError, type PartitionsConfig } from './config.js';
export { partitionsHealth, type PartitionsHealth } from './health.js';
export { listLogPartitions, defaultPartitionRows, type LogPartition } from './log-partitions.js';
export { maintainLogPartitions, droppedMonths, type PartitionMaintenanceOptions, type PartitionMaintenanceResult } from './maintenance.js';
export { applyRetention, retentionKeepFrom, RetentionOptionError, PartitionChangedError, type RetentionOptions, type RetentionResult, type RetentionPartition } from './retention.js';
export { archivePartition } from './archive.js';
export { monthPartitionName, DEFAULT_PARTITION, type Month } from './months.js';
