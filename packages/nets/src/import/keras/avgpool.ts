import { kerasWindow } from './window';

export const kerasAvgpool = kerasWindow('avgpool', 'AveragePooling2D');
