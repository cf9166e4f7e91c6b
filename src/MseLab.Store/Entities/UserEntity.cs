using MseLab.Store.Records;

namespace MseLab.Store.Entities;

/// <summary>A user of a lab: the name sweeps are owned by and tokens are issued to.</summary>
public sealed class UserEntity
{
    public required string Name { get; set; }

    public UserRole Role { get; set; }

    public DateTime CreatedAt { get; set; }
}
