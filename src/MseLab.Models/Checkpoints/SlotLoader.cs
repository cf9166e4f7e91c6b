using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>Fills the parameter slots of one module from a checkpoint's files, checking names and shapes.</summary>
internal sealed class SlotLoader(string directory, Dictionary<string, ParameterSlot> slots, Func<string, bool>? ignorable, Device device)
{
    /// <summary>Safetensors: every header is read and checked first, then the tensors are streamed one at a time.</summary>
    public void LoadSafetensors(IReadOnlyList<string> files)
    {
        var plan = new List<(string File, SafetensorsEntry Entry, ParameterSlot Slot)>();
        var unexpected = new List<string>();
        foreach (var file in files)
        {
            foreach (var entry in SafetensorsHeader.Read(file).Values)
            {
                if (!slots.TryGetValue(entry.Name, out var slot))
                {
                    if (ignorable?.Invoke(entry.Name) != true)
                    {
                        unexpected.Add($"{entry.Name} (in {Path.GetFileName(file)})");
                    }

                    continue;
                }

                CheckShape(file, entry.Name, entry.Shape, slot);
                plan.Add((file, entry, slot));
            }
        }

        CheckNames(plan.Select(p => p.Entry.Name), unexpected);
        foreach (var group in plan.GroupBy(p => p.File))
        {
            using var stream = new SafetensorsStream(group.Key);
            foreach (var (_, entry, slot) in group.OrderBy(p => p.Entry.Begin))
            {
                slot.Fill(device, target => stream.ReadInto(entry, target));
            }
        }
    }

    /// <summary>PyTorch .bin: names are checked against the index first (if any); each shard is read whole, copied, and freed.</summary>
    public void LoadPyTorch(CheckpointFiles files)
    {
        if (files.WeightMap is { } map)
        {
            CheckNames(map.Keys.Where(slots.ContainsKey), map.Keys.Where(n => !slots.ContainsKey(n) && ignorable?.Invoke(n) != true)
                .Select(n => $"{n} (in {map[n]})").ToList());
        }

        var filled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files.Files)
        {
            var tensors = PyTorchShard.Read(file);
            try
            {
                if (files.WeightMap is null)
                {
                    CheckNames(tensors.Keys.Where(slots.ContainsKey), tensors.Keys.Where(n => !slots.ContainsKey(n) && ignorable?.Invoke(n) != true)
                        .Select(n => $"{n} (in {Path.GetFileName(file)})").ToList());
                }

                foreach (var name in tensors.Keys.ToList())
                {
                    using var tensor = tensors[name];
                    tensors.Remove(name);
                    if (!slots.TryGetValue(name, out var slot))
                    {
                        if (ignorable?.Invoke(name) != true)
                        {
                            throw new InvalidDataException($"{file}: unexpected tensor '{name}', which the index does not list. The index and the shards do not belong together.");
                        }

                        continue;
                    }

                    CheckShape(file, name, tensor.shape, slot);
                    slot.Fill(device, target => target.copy_(tensor));
                    filled.Add(name);
                }
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                {
                    tensor.Dispose();
                }
            }
        }

        var missing = slots.Keys.Where(n => !filled.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{directory}: the checkpoint does not match the model. Missing tensors: {Summarize(missing)}. " +
                "The shards lack tensors their index lists; download them again.");
        }
    }

    private static void CheckShape(string file, string name, long[] shape, ParameterSlot slot)
    {
        if (!shape.SequenceEqual(slot.Current.shape))
        {
            throw new InvalidDataException(
                $"{file}: tensor '{name}' has shape [{string.Join(", ", shape)}] but config.json implies " +
                $"[{string.Join(", ", slot.Current.shape)}]. The checkpoint and its config.json do not belong together.");
        }
    }

    private void CheckNames(IEnumerable<string> present, List<string> unexpected)
    {
        var found = present.ToHashSet(StringComparer.Ordinal);
        var missing = slots.Keys.Where(n => !found.Contains(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException(
                $"{directory}: the checkpoint does not match the model. " +
                (missing.Count > 0 ? $"Missing tensors: {Summarize(missing)}. " : "") +
                (unexpected.Count > 0 ? $"Unexpected tensors: {Summarize(unexpected)}. " : "") +
                "Check that config.json describes these weights (architecture, layers, tie_word_embeddings).");
        }
    }

    private static string Summarize(List<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(8))} and {names.Count - 8} more";
}
