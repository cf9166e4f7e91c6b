namespace MseLab.Datasets.Cache;

/// <summary>
/// A cache folder that is not what its manifest says (unreadable manifest, a feature file of the wrong size): it is
/// prepared again, never used. Internal: callers of <see cref="DatasetCache"/> never see it.
/// </summary>
internal sealed class CorruptCacheException(string message) : IOException(message);
