namespace MseLab.Datasets.Readers;

/// <summary>
/// A MELD/CHERMA modality: one (T, d) array per item, all of one shape (checked when read), uncleaned (the official
/// loader cleans nothing for these datasets).
/// </summary>
internal sealed class ItemFeatureSource(IReadOnlyList<ItemArray> items, int steps, int width, ReadPlace place, string key) : FeatureSource
{
    public override int Count => items.Count;

    public override int Steps => steps;

    public override int Width => width;

    public override void CopySample(int index, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Steps * Width, nameof(destination));
        items[index].CopyTo(destination, place, key, index);
    }
}
