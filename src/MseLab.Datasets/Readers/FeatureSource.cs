namespace MseLab.Datasets.Readers;

/// <summary>
/// One modality of one split as the official loader ends up with it: N samples of Steps x Width float32 values, zero padded
/// at the back, <b>after</b> the official cleaning (MMSA datasets: audio -inf → 0, vision NaN → 0; MELD/CHERMA: none).
/// Samples are read one at a time, so a several-GB array is never held whole.
/// </summary>
public abstract class FeatureSource
{
    /// <summary>N.</summary>
    public abstract int Count { get; }

    /// <summary>T: padded frames per sample.</summary>
    public abstract int Steps { get; }

    /// <summary>d: values per frame.</summary>
    public abstract int Width { get; }

    /// <summary>Writes sample <paramref name="index"/> (Steps x Width, row-major, cleaned) into <paramref name="destination"/>.</summary>
    public abstract void CopySample(int index, Span<float> destination);
}
