namespace MseLab.Cluster.Silo;

/// <summary>Each user's fair-share weight (greater than 0; a user of weight 2 gets twice the device time of one of weight 1).</summary>
public interface IUserWeights
{
    /// <summary>The weight of <paramref name="user"/> (a sweep's owner); 1 for a user nobody configured.</summary>
    double WeightOf(string user);
}
