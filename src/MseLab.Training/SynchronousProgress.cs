namespace MseLab.Training;

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
