namespace MseLab.Experiments.Roots;

/// <summary>
/// The rules for a path a submitted sweep names on a shared lab: it must lie under one of the allowed roots as written
/// (no <c>..</c> segment, no absolute path elsewhere) and, where it exists on this machine, once every symbolic link on
/// the way is resolved (a link inside a root that leads outside is refused).
/// </summary>
public static class PathRoots
{
    // Linux's limit on links followed while resolving one path; a loop beyond it is refused rather than followed forever.
    private const int MaxLinks = 40;

    /// <summary>
    /// Why <paramref name="text"/> (resolved to <paramref name="fullPath"/>) may not be used under <paramref name="roots"/>
    /// (a clause for an error message), or null when it may.
    /// </summary>
    public static string? Refusal(string text, string fullPath, IReadOnlyCollection<string> roots)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            return "cannot be used: no worker of this lab allows any root for it";
        }

        if (text.Split('/', '\\').Any(segment => segment == ".."))
        {
            return "has a '..' segment (write the path inside an allowed root without climbing out of a folder)";
        }

        var full = Path.GetFullPath(fullPath);
        if (!roots.Any(root => IsUnder(full, Path.GetFullPath(root))))
        {
            return $"resolves to {full}, outside the allowed roots";
        }

        if (!Path.Exists(full))
        {
            return null;   // nothing here to resolve: the worker checks its own copy before it claims a trial
        }

        string real;
        try
        {
            real = RealPath(full);
        }
        catch (IOException e)
        {
            return $"cannot be resolved ({e.Message})";
        }

        return roots.Any(root => IsUnder(real, Path.Exists(root) ? RealPath(Path.GetFullPath(root)) : Path.GetFullPath(root)))
            ? null
            : $"leads through a symbolic link to {real}, outside the allowed roots";
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or inside it (both absolute and normalised).</summary>
    public static bool IsUnder(string path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(root);
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        return string.Equals(Path.TrimEndingDirectorySeparator(path), trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || string.Equals(trimmed, Path.GetPathRoot(trimmed), StringComparison.Ordinal);   // "/" holds everything
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link on the way resolved (POSIX <c>realpath</c>); components that do
    /// not exist are kept as written.
    /// </summary>
    /// <exception cref="IOException">More than 40 links (a loop).</exception>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"more than {MaxLinks} symbolic links while resolving {full} (a loop?)");
                }

                // Relative targets are relative to the link's folder; the target may itself pass through links.
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            else if (!Path.Exists(next))
            {
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            current = next;
        }

        return current;
    }
}
