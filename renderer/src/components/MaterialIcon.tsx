import { isMaterialId, materialIcons } from './materials.js';

/** A material's picture (decorative: its name is always written beside it). Unknown materials get none. */
export function MaterialIcon({ material, className = 'material-icon' }: { material: string; className?: string }) {
  if (!isMaterialId(material)) return <span className={`${className} material-icon-none`} aria-hidden="true" />;
  return <img className={className} src={materialIcons[material]} alt="" aria-hidden="true" draggable={false} />;
}
