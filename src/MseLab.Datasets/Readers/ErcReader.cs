using MseLab.Datasets.Pickles;
using MseLab.Experiments.Datasets;

namespace MseLab.Datasets.Readers;

/// <summary>
/// MELD and CHERMA: one pickle per split, a list of <c>{'label': str, 'features': {'text', 'audio', 'video',
/// 'audio_len', 'video_len'}}</c>, read as MSE-Adapter's <c>MMDataset.__init_meld</c> reads it (datasets.md §3). No
/// cleaning (the official code does none here), no ids (there are none). Where the official code fails late or silently
/// (a ragged split, an unknown label that it maps to -1), this stops with the item named.
/// </summary>
internal static class ErcReader
{
    internal const string Label = "label";
    internal const string Features = "features";
    internal const string Text = "text";
    internal const string Audio = "audio";
    internal const string Video = "video";
    internal const string AudioLength = "audio_len";
    internal const string VideoLength = "video_len";

    private static readonly string[] FeatureKeys = [Text, Audio, Video, AudioLength, VideoLength];

    private const string AudioConfig = "feature_dims[1] (audio)";
    private const string VideoConfig = "feature_dims[2] (video)";

    public static IReadOnlyList<SourceSplit> Read(IReadOnlyList<string> files, PaperDatasetInfo info) =>
        [.. DatasetSplits.All.Select((name, i) => ReadSplit(new ReadPlace(files[i], name), info))];

    private static SourceSplit ReadSplit(ReadPlace place, PaperDatasetInfo info)
    {
        var top = SafeUnpickler.Load(place.File);
        var items = PythonValues.Elements(top) ?? throw new DatasetReadException(
            $"{place.File}: expected a list of {{'label': ..., 'features': {{...}}}} items (the {info.Name} format), found {PythonValues.TypeName(top)}. " +
            $"{info.Name} is read from {string.Join(", ", DatasetLayout.RelativeFiles(info.Dataset))}: check that the right files lie there.");
        if (items.Count == 0)
        {
            throw place.SplitError("the file holds no items", ReadPlace.OfficialFiles);
        }

        var texts = new string[items.Count];
        var labels = new float[items.Count];
        var audio = new ItemArray[items.Count];
        var video = new ItemArray[items.Count];
        var audioLengths = new long[items.Count];
        var videoLengths = new long[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (label, features) = Item(items[i], place, i);
            labels[i] = ClassIndex(label, place, i, info);
            texts[i] = PythonValues.Str(features[Text])
                ?? throw place.Error($"{Features}.{Text}", i, $"expected a str, found {PythonValues.TypeName(features[Text])}", "Every text must be a Python str");
            audio[i] = Feature(features[Audio], i == 0 ? null : audio[0], info.AudioDim, AudioConfig, place, $"{Features}.{Audio}", i, info);
            video[i] = Feature(features[Video], i == 0 ? null : video[0], info.VideoDim, VideoConfig, place, $"{Features}.{Video}", i, info);
            audioLengths[i] = Length(features[AudioLength], place, $"{Features}.{AudioLength}", i);
            videoLengths[i] = Length(features[VideoLength], place, $"{Features}.{VideoLength}", i);
        }

        var audioSource = new ItemFeatureSource(audio, audio[0].Steps, info.AudioDim, place, $"{Features}.{Audio}");
        var videoSource = new ItemFeatureSource(video, video[0].Steps, info.VideoDim, place, $"{Features}.{Video}");
        return new SourceSplit(
            place.Split,
            texts,
            null,
            audioSource,
            videoSource,
            [.. audioLengths.Select((l, i) => MmsaReader.CheckedLength(l, audioSource.Steps, place, $"{Features}.{AudioLength}", i))],
            [.. videoLengths.Select((l, i) => MmsaReader.CheckedLength(l, videoSource.Steps, place, $"{Features}.{VideoLength}", i))],
            labels);
    }

    /// <summary>An item's label and its features dict, after checking that every key the official loader reads is there.</summary>
    private static (object? Label, Dictionary<object, object?> Features) Item(object? item, ReadPlace place, int index)
    {
        if (item is not Dictionary<object, object?> dict)
        {
            throw place.Error("(item)", index, $"expected a dict with 'label' and 'features', found {PythonValues.TypeName(item)}", ReadPlace.OfficialFiles);
        }

        foreach (var key in new[] { Label, Features })
        {
            if (!dict.ContainsKey(key))
            {
                throw place.Error(key, index, $"the item has no '{key}' (keys found: {PythonValues.Keys(dict)})", ReadPlace.OfficialFiles);
            }
        }

        if (dict[Features] is not Dictionary<object, object?> features)
        {
            throw place.Error(Features, index, $"expected a dict, found {PythonValues.TypeName(dict[Features])}", ReadPlace.OfficialFiles);
        }

        foreach (var key in FeatureKeys)
        {
            if (!features.ContainsKey(key))
            {
                throw place.Error($"{Features}.{key}", index, $"the item's features have no '{key}' (keys found: {PythonValues.Keys(features)})",
                    $"The official loader reads {string.Join(", ", FeatureKeys.Select(k => $"'{k}'"))} from every item's features. {ReadPlace.OfficialFiles}");
            }
        }

        return (dict[Label], features);
    }

    /// <summary>
    /// The official <c>label_index_mapping.get(label, -1)</c>, except that an unknown label stops here: the official
    /// code would train on "-1" and score it as a class.
    /// </summary>
    private static float ClassIndex(object? label, ReadPlace place, int index, PaperDatasetInfo info)
    {
        var valid = string.Join(", ", info.ClassNames.Select(c => $"'{c}'"));
        if (PythonValues.Str(label) is not { } text)
        {
            throw place.Error(Label, index, $"expected a str, found {PythonValues.TypeName(label)}", $"The label must be one of {valid}");
        }

        var classIndex = info.ClassIndex(text);
        return classIndex >= 0
            ? classIndex
            : throw place.Error(Label, index,
                $"the label '{text}' is not one of {info.Name}'s classes ({valid}, exact and case-sensitive); " +
                "the official loader would silently map it to -1 and train on it",
                "Correct the label to one of the listed names");
    }

    /// <summary>
    /// One item's array, checked against the configuration's width, then against sample 0's shape: the official loader
    /// stacks the items with np.array and fails on a ragged split ('inhomogeneous shape').
    /// </summary>
    private static ItemArray Feature(object? value, ItemArray? first, int width, string configName, ReadPlace place, string key, int index, PaperDatasetInfo info)
    {
        var array = ItemArray.From(value, place, key, index);
        if (array.Width != width)
        {
            throw MmsaReader.WrongWidth(array.Width, width, configName, place, key, index, info);
        }

        return first is null || first.Steps == array.Steps
            ? array
            : throw place.Error(key, index,
                $"the array has shape {array.ShapeText} but sample 0 has {first.ShapeText}; the official loader stacks the items with " +
                "np.array and fails on a ragged split ('inhomogeneous shape')",
                "Every item of a split must be padded to the same (frames, width)");
    }

    private static long Length(object? value, ReadPlace place, string key, int index) => PythonValues.Integer(value)
        ?? throw place.Error(key, index, $"expected an int, found {PythonValues.TypeName(value)}", "Every length must be a whole number");
}
