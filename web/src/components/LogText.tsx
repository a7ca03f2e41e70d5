import { clip, segments } from '../format';
import { useLanguage } from '../language';

interface Props {
  value: unknown;
  /** Characters shown at most; the rest is counted, not drawn. */
  max: number;
}

/**
 * A value from a log as text: React escapes it, invisible characters appear
 * as marked names, and an over-long value is cut with a note of how much.
 */
export function LogText({ value, max }: Props) {
  const { t } = useLanguage();
  const { text, omitted } = clip(value, max);
  return (
    <>
      {segments(text).map((s, i) =>
        s.control ? (
          <span key={i} className="ctl">
            {s.text}
          </span>
        ) : (
          s.text
        ),
      )}
      {omitted > 0 && <span className="omitted">{t('detail.truncated', { count: omitted })}</span>}
    </>
  );
}
