// Every fault type, by the name toxiproxy gives it.
import type { FaultType } from '../../types';
import type { FaultTypeDefinition } from '../faultType';
import { bandwidth } from './bandwidth';
import { httpAbort } from './httpAbort';
import { httpStatus } from './httpStatus';
import { latency } from './latency';
import { limitData } from './limitData';
import { resetPeer } from './resetPeer';
import { slicer } from './slicer';
import { slowClose } from './slowClose';
import { timeout } from './timeout';

export const FAULT_TYPE_DEFINITIONS: Readonly<Record<FaultType, FaultTypeDefinition>> = {
  latency,
  bandwidth,
  slow_close: slowClose,
  timeout,
  reset_peer: resetPeer,
  slicer,
  limit_data: limitData,
  http_status: httpStatus,
  http_abort: httpAbort,
};
