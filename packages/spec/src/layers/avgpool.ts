/** Average pooling over square windows ('valid'), per channel, as torch.nn.AvgPool2d(size, stride). */
import { windowLayer, type WindowLayer } from './window';

/** Average pooling over square windows. */
export type AvgPoolLayer = WindowLayer<'avgpool'>;

export const avgpool = windowLayer('avgpool');
