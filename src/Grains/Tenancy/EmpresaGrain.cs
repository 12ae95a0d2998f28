using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Security;

namespace AgenteVendedor.Tenancy;

public sealed class EmpresaGrain(EmpresaStore store, AuditStore audit, PasswordHasher hasher) : Grain, IEmpresaGrain
{
    private static readonly Problem UnknownEmpresa = Problem.NotFound("La empresa no existe.");
    private static readonly Problem UnknownUser = Problem.NotFound("No existe un usuario con ese id en esta empresa.");

    private EmpresaProfile? _profile;
    private Dictionary<Guid, UserView> _users = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (profile, users) = await store.LoadAsync(this.GetPrimaryKey());
        _profile = profile;
        _users = users.ToDictionary(u => u.Id);
    }

    public Task<EmpresaProfile?> GetProfileAsync() => Task.FromResult(_profile);

    public async Task<Outcome<EmpresaProfile>> UpdateProfileAsync(Actor actor, EmpresaSettings settings)
    {
        if (_profile is null)
        {
            return UnknownEmpresa;
        }

        _profile = await store.UpdateProfileAsync(actor, _profile, settings);
        return _profile;
    }

    public Task<UserView?> FindUserAsync(Guid userId) =>
        Task.FromResult(_users.GetValueOrDefault(userId));

    public Task<Page<UserView>> ListUsersAsync(int page, int size)
    {
        var ordered = _users.Values.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id);
        var items = ordered.Skip((page - 1) * size).Take(size).ToList();
        return Task.FromResult(new Page<UserView>(items, _users.Count, page, size));
    }

    public async Task<Outcome<UserView>> CreateUserAsync(Actor actor, NewUser user)
    {
        if (_profile is null)
        {
            return UnknownEmpresa;
        }

        var hash = await hasher.HashAsync(user.Password);
        try
        {
            var created = await store.InsertUserAsync(_profile.Id, actor, user, hash);
            _users[created.Id] = created;
            return created;
        }
        catch (Exception e) when (e.IsUniqueViolation("users_email_key"))
        {
            return new Problem(ProblemKind.Conflict, $"Ya existe un usuario con el correo {user.Email}.",
                [new FieldError("email", "Ya existe un usuario con este correo.")]);
        }
    }

    public async Task<Outcome<UserView>> UpdateUserAsync(Actor actor, Guid userId, UserChanges changes)
    {
        if (!_users.TryGetValue(userId, out var before))
        {
            return UnknownUser;
        }

        var role = changes.Role ?? before.Role;
        var active = changes.Active ?? before.Active;
        var remainingAdmins = _users.Values.Count(u => u.Id != userId && u.Active && u.Role == Roles.Admin);
        if (remainingAdmins == 0 && !(active && role == Roles.Admin))
        {
            return Problem.Conflict("La empresa debe conservar al menos un administrador activo.");
        }

        var after = await store.UpdateUserAsync(actor, before, changes.Name ?? before.Name, role, active);
        _users[userId] = after;
        return after;
    }

    public async Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query) =>
        _profile is null
            ? new Page<AuditEntry>([], 0, query.Page, query.Size)
            : await audit.QueryAsync(_profile.Id, query);
}
