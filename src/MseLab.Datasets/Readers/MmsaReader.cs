using MseLab.Datasets.Pickles;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>
/// MOSEI, SIMS-V2, MOSI and SIMS: one MMSA pickle, <c>{'train': {...}, 'valid': {...}, 'test': {...}}</c>, read as
/// MSE-Adapter's <c>MMDataset.__init_mosi</c> reads it (datasets.md §2) and checked where the official code is silent
/// or fails late. Only the seven keys it reads are looked at; every other key (BERT features, annotations, the
/// unimodal labels) is ignored, as there.
/// </summary>
internal static class MmsaReader
{
    internal const string RawText = "raw_text";
    internal const string Audio = "audio";
    internal const string Vision = "vision";
    internal const string Id = "id";
    internal const string AudioLengths = "audio_lengths";
    internal const string VisionLengths = "vision_lengths";

    // The official loader reads data[mode][train_mode + '_labels'] with train_mode = 'regression'.
    internal const string Labels = "regression_labels";

    // id is required: the official regression trainer collects it for every batch (trains/multiTask/CMCM.py L118-119).
    private static readonly string[] RequiredKeys = [RawText, Audio, Vision, Id, AudioLengths, VisionLengths, Labels];

    public static IReadOnlyList<SourceSplit> Read(string file, PaperDatasetInfo info)
    {
        var top = SafeUnpickler.Load(file);
        if (top is not Dictionary<object, object?> splits)
        {
            throw new DatasetReadException(
                $"{file}: expected an MMSA pickle (a dict with the keys 'train', 'valid', 'test'), found a {PythonValues.TypeName(top)}. " +
                $"{info.Name} is read from {string.Join(", ", DatasetLayout.RelativeFiles(info.Dataset))}: check that the right file lies there.");
        }

        var result = new List<SourceSplit>();
        foreach (var name in DatasetSplits.All)
        {
            if (!splits.TryGetValue(name, out var value))
            {
                throw new DatasetReadException(
                    $"{file}: has no split '{name}' (top-level keys found: {PythonValues.Keys(splits)}). The official loader reads " +
                    $"data['train'], data['valid'] and data['test']. {ReadPlace.OfficialFiles}.");
            }

            var place = new ReadPlace(file, name);
            if (value is not Dictionary<object, object?> split)
            {
                throw place.SplitError($"expected a dict of per-sample arrays, found {PythonValues.TypeName(value)}", ReadPlace.OfficialFiles);
            }

            result.Add(ReadSplit(split, place, info));
        }

        return result;
    }

    private static SourceSplit ReadSplit(Dictionary<object, object?> split, ReadPlace place, PaperDatasetInfo info)
    {
        var missing = RequiredKeys.Where(k => !split.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            throw place.SplitError(
                $"missing key{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(k => $"'{k}'"))} (keys found: {PythonValues.Keys(split)})",
                $"The official loader reads {string.Join(", ", RequiredKeys.Select(k => $"'{k}'"))} ('id' too: the regression trainer " +
                $"collects the ids). {ReadPlace.OfficialFiles}");
        }

        // __len__ is len(labels['M']): the labels set the sample count every other key must match.
        var labels = PythonValues.Floats(split[Labels], place, Labels);
        var count = labels.Length;
        if (count == 0)
        {
            throw place.Error(Labels, null, "the split has no samples", ReadPlace.OfficialFiles);
        }

        for (var i = 0; i < count; i++)
        {
            if (float.IsNaN(labels[i]))
            {
                throw place.Error(Labels, i, "the label is NaN (the loss and every metric would become NaN)", "Fix or drop that sample");
            }
        }

        var texts = Counted(PythonValues.Strings(split[RawText], place, RawText), count, place, RawText);
        var ids = Counted(PythonValues.Strings(split[Id], place, Id), count, place, Id);
        var audio = Features(split[Audio], count, info.AudioDim, "feature_dims[1] (audio)", FeatureCleaning.NegativeInfinityToZero, place, Audio, info);
        var vision = Features(split[Vision], count, info.VideoDim, "feature_dims[2] (video)", FeatureCleaning.NaNToZero, place, Vision, info);
        var audioLengths = Lengths(split[AudioLengths], count, audio.Steps, place, AudioLengths);
        var visionLengths = Lengths(split[VisionLengths], count, vision.Steps, place, VisionLengths);
        return new SourceSplit(place.Split, texts, ids, audio, vision, audioLengths, visionLengths, labels);
    }

    private static T[] Counted<T>(T[] values, int count, ReadPlace place, string key) => values.Length == count
        ? values
        : throw MismatchedCount(values.Length, count, place, key);

    internal static DatasetReadException MismatchedCount(long found, int count, ReadPlace place, string key) => place.Error(
        key,
        Math.Min(found, count),
        $"has {found} samples but '{Labels}' has {count} (the sample count the official loader uses); sample {Math.Min(found, count)} is " +
        $"{(found < count ? $"missing from '{key}'" : $"missing from '{Labels}'")}, and the official loader would fail only when it fetches that sample",
        $"Every key of a split must have one entry per sample. {ReadPlace.OfficialFiles}");

    private static ArrayFeatureSource Features(
        object? value, int count, int width, string configName, FeatureCleaning cleaning, ReadPlace place, string key, PaperDatasetInfo info)
    {
        // The official loader calls .astype(np.float32) on it: it must be an ndarray, and (N, T, d) for the LSTM.
        if (value is not NumpyArray array || array.Shape.Count != 3)
        {
            throw place.Error(key, null, $"expected an (N, T, d) numpy array, found {PythonValues.TypeName(value)}", ReadPlace.OfficialFiles);
        }

        if (!array.Dtype.IsNumeric && array.Dtype.Kind != NumpyDtype.Object)
        {
            throw place.Error(key, null, $"expected numbers, found dtype {array.Dtype}", "Store the features as a float array");
        }

        if (array.Shape[0] != count)
        {
            throw MismatchedCount(array.Shape[0], count, place, key);
        }

        if (array.Shape[2] != width)
        {
            throw WrongWidth(array.Shape[2], width, configName, place, key, null, info);
        }

        return new ArrayFeatureSource(array, cleaning, place, key);
    }

    internal static DatasetReadException WrongWidth(long found, int width, string configName, ReadPlace place, string key, int? index, PaperDatasetInfo info) =>
        place.Error(
            key,
            index,
            $"each frame has {found} values but the official configuration for {info.Name} has {configName} = {width}; the official model " +
            $"would load the file and fail at its first forward pass ('input.size(-1) must be equal to input_size. Expected {width}, got {found}')",
            $"Use {info.Name}'s official processed features ({width} values per frame)");

    internal static int[] Lengths(object? value, int count, int steps, ReadPlace place, string key)
    {
        var lengths = Counted(PythonValues.Integers(value, place, key), count, place, key);
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = CheckedLength(lengths[i], steps, place, key, i);
        }

        return result;
    }

    /// <summary>
    /// A true length must lie in 1..T: pack_padded_sequence refuses 0 ("Length of all samples has to be greater than 0")
    /// and the LSTM fails later on more than T.
    /// </summary>
    internal static int CheckedLength(long length, int steps, ReadPlace place, string key, int index) => length >= 1 && length <= steps
        ? (int)length
        : throw place.Error(
            key,
            index,
            $"the length is {length}, outside 1..{steps} (the split's padded frames); the official model would fail on it " +
            (length < 1 ? "in pack_padded_sequence ('Length of all samples has to be greater than 0')" : "in the LSTM (a length past the padded frames)"),
            "Each length must count the sample's real frames (at least 1, at most the padded length)");
}
