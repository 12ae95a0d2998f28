using AgenteVendedor.Audit;
using AgenteVendedor.Common;

namespace AgenteVendedor.Tenancy;

/// <summary>
/// One per empresa (key: empresa id): its settings and its users. Keeps both in memory, writes
/// through to PostgreSQL with an audit entry in the same transaction.
/// </summary>
public interface IEmpresaGrain : IGrainWithGuidKey
{
    [Orleans.Concurrency.ReadOnly]
    Task<EmpresaProfile?> GetProfileAsync();

    Task<Outcome<EmpresaProfile>> UpdateProfileAsync(Actor actor, EmpresaSettings settings);

    [Orleans.Concurrency.ReadOnly]
    Task<UserView?> FindUserAsync(Guid userId);

    [Orleans.Concurrency.ReadOnly]
    Task<Page<UserView>> ListUsersAsync(int page, int size);

    Task<Outcome<UserView>> CreateUserAsync(Actor actor, NewUser user);

    Task<Outcome<UserView>> UpdateUserAsync(Actor actor, Guid userId, UserChanges changes);

    [Orleans.Concurrency.ReadOnly]
    Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query);
}

[GenerateSerializer, Immutable, Alias("av.EmpresaProfile")]
public sealed record EmpresaProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Currency,
    [property: Id(3)] string Culture,
    [property: Id(4)] string TimeZone,
    [property: Id(5)] string Tone,
    [property: Id(6)] string Instructions,
    [property: Id(7)] string AgentName,
    [property: Id(8)] DateTime CreatedAt,
    [property: Id(9)] DateTime UpdatedAt,
    [property: Id(10)] IReadOnlyList<FaqEntry> Faq,
    [property: Id(11)] bool ChatOrdersPending = false);

/// <summary>
/// What PUT /empresa changes, already checked by the Api (the FAQ against <see cref="FaqLimits"/>);
/// a null member keeps its current value, an empty FAQ clears it. <c>ChatOrdersPending</c>: whether the
/// orders the agent places in a chat start pendiente (staff confirm them) instead of confirmada.
/// </summary>
[GenerateSerializer, Immutable, Alias("av.EmpresaSettings")]
public sealed record EmpresaSettings(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Currency,
    [property: Id(2)] string? Culture,
    [property: Id(3)] string? TimeZone,
    [property: Id(4)] string? Tone,
    [property: Id(5)] string? Instructions,
    [property: Id(6)] string? AgentName,
    [property: Id(7)] IReadOnlyList<FaqEntry>? Faq = null,
    [property: Id(8)] bool? ChatOrdersPending = null);

[GenerateSerializer, Immutable, Alias("av.UserView")]
public sealed record UserView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid EmpresaId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Email,
    [property: Id(4)] string Role,
    [property: Id(5)] bool Active,
    [property: Id(6)] DateTime CreatedAt,
    [property: Id(7)] DateTime UpdatedAt);

[GenerateSerializer, Immutable, Alias("av.NewUser")]
public sealed record NewUser(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] string Password,
    [property: Id(3)] string Role);

/// <summary>PATCH /usuarios/{id}: only the members that are not null change.</summary>
[GenerateSerializer, Immutable, Alias("av.UserChanges")]
public sealed record UserChanges(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Role,
    [property: Id(2)] bool? Active);
