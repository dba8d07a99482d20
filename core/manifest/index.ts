export * from './types.ts';
export { decodeString, decodeValue, valueTypeSize, type DecodeOptions, type RecordValue, type Value } from './decode-value.ts';
export {
  aggregateValueSize, isArrayMap, isPerCpuMap, mergeAggregate, perCpuStride, type AggregateValue, type TseriesPoint,
} from './aggregates.ts';
export {
  BUCKET_FUNCTIONS_C, histBucket, histBucketBounds, histBucketCount, lhistBucket, lhistBucketBounds, lhistBucketCount,
} from './buckets.ts';
export { decodeMapEntries, emptyScalarEntry, type MapEntry, type PackedMapEntries, type RawMapEntry } from './decode-map.ts';
export { hasEntryPerKey, PackedMapView, type MapEntriesView } from './packed-map.ts';
