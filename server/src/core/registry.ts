// The file kinds prodready understands, in detection order: name matches are tried for every kind
// before any content sniffing.

import { composeModule } from './compose';
import { haproxyModule } from './haproxy';
import { helmModule } from './helm';
import { KindModule } from './kind';
import { nginxModule } from './nginx';
import { FileKind } from './types';

export const KIND_MODULES: KindModule<any>[] = [helmModule, composeModule, nginxModule, haproxyModule];

export function kindModule(kind: FileKind): KindModule<any> {
  const mod = KIND_MODULES.find((m) => m.kind === kind);
  if (!mod) throw new Error(`no module for file kind ${kind}`);
  return mod;
}
