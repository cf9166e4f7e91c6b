namespace MseLab.Datasets.Readers;

/// <summary>
/// The official loader's cleaning of one modality (MSE-Adapter data/load_data.py L107-108): MMSA audio
/// <c>audio[audio == -inf] = 0</c>, MMSA vision <c>vision[vision != vision] = 0</c>; nothing for MELD and CHERMA. Exactly
/// those values and no others: NaN and +inf audio and ±inf vision stay, as they do in the official code.
/// </summary>
internal enum FeatureCleaning
{
    None,
    NegativeInfinityToZero,
    NaNToZero,
}

internal static class FeatureCleanings
{
    public static void Apply(this FeatureCleaning cleaning, Span<float> values)
    {
        switch (cleaning)
        {
            case FeatureCleaning.NegativeInfinityToZero:
                foreach (ref var v in values)
                {
                    if (float.IsNegativeInfinity(v))
                    {
                        v = 0f;
                    }
                }

                break;
            case FeatureCleaning.NaNToZero:
                foreach (ref var v in values)
                {
                    if (float.IsNaN(v))
                    {
                        v = 0f;
                    }
                }

                break;
            case FeatureCleaning.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cleaning), cleaning, "Unknown cleaning.");
        }
    }
}
