using System.Text.Json;
using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class EmpresaGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Updating_settings_keeps_what_was_left_out_and_audits_before_and_after()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var empresa = _grains.GetGrain<IEmpresaGrain>(admin.EmpresaId);

        var updated = Scenario.Ok(await empresa.UpdateProfileAsync(admin.AsAdmin(),
            new EmpresaSettings(null, "MXN", null, "America/Mexico_City", "formal", "Ofrece siempre la garantía.", null)));

        Assert.Equal(("Ferretería La Tuerca", "MXN", "es-CO", "formal", "Asistente"),
            (updated.Name, updated.Currency, updated.Culture, updated.Tone, updated.AgentName));
        Assert.Equal(updated, await empresa.GetProfileAsync());
        var entry = (await empresa.QueryAuditAsync(new AuditQuery("empresa", "actualizar", null, null, null, 1, 10))).Items.Single();
        using var detail = JsonDocument.Parse(entry.DetailJson);
        Assert.Equal("COP", detail.RootElement.GetProperty("antes").GetProperty("moneda").GetString());
        Assert.Equal("MXN", detail.RootElement.GetProperty("despues").GetProperty("moneda").GetString());
        Assert.Equal(admin.UserId, entry.UserId);
    }

    [Fact]
    public async Task Emails_are_unique_across_all_empresas()
    {
        var first = await Scenario.RegisterAsync(_grains);
        var second = await Scenario.RegisterAsync(_grains);
        var email = Scenario.NewEmail("compartido");
        Scenario.Ok(await _grains.GetGrain<IEmpresaGrain>(first.EmpresaId)
            .CreateUserAsync(first.AsAdmin(), new NewUser("Uno", email, "clave-1234", Roles.Seller)));

        var duplicate = await _grains.GetGrain<IEmpresaGrain>(second.EmpresaId)
            .CreateUserAsync(second.AsAdmin(), new NewUser("Dos", email, "clave-1234", Roles.Seller));

        Assert.Equal(ProblemKind.Conflict, duplicate.Problem?.Kind);
        Assert.Equal(1, (await _grains.GetGrain<IEmpresaGrain>(second.EmpresaId).ListUsersAsync(1, 50)).Total);
    }

    [Fact]
    public async Task The_last_active_admin_can_be_neither_demoted_nor_deactivated()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var empresa = _grains.GetGrain<IEmpresaGrain>(admin.EmpresaId);

        var demote = await empresa.UpdateUserAsync(admin.AsAdmin(), admin.UserId, new UserChanges(null, Roles.Seller, null));
        var deactivate = await empresa.UpdateUserAsync(admin.AsAdmin(), admin.UserId, new UserChanges(null, null, false));
        Assert.Equal(ProblemKind.Conflict, demote.Problem?.Kind);
        Assert.Equal(ProblemKind.Conflict, deactivate.Problem?.Kind);

        Scenario.Ok(await empresa.CreateUserAsync(admin.AsAdmin(), new NewUser("Segunda", Scenario.NewEmail(), "clave-1234", Roles.Admin)));
        var demoted = Scenario.Ok(await empresa.UpdateUserAsync(admin.AsAdmin(), admin.UserId, new UserChanges("Ana P.", Roles.Seller, null)));
        Assert.Equal(("Ana P.", Roles.Seller, true), (demoted.Name, demoted.Role, demoted.Active));
    }

    [Fact]
    public async Task Another_empresas_user_is_not_found()
    {
        var ours = await Scenario.RegisterAsync(_grains);
        var theirs = await Scenario.RegisterAsync(_grains);
        var theirEmpresa = _grains.GetGrain<IEmpresaGrain>(theirs.EmpresaId);

        Assert.Null(await theirEmpresa.FindUserAsync(ours.UserId));
        var update = await theirEmpresa.UpdateUserAsync(theirs.AsAdmin(), ours.UserId, new UserChanges("Hackeado", null, null));
        Assert.Equal(ProblemKind.NotFound, update.Problem?.Kind);
        Assert.Equal("Ana Pérez", (await _grains.GetGrain<IEmpresaGrain>(ours.EmpresaId).FindUserAsync(ours.UserId))!.Name);
    }

    [Fact]
    public async Task An_unknown_empresa_has_no_profile_and_refuses_changes()
    {
        var empresa = _grains.GetGrain<IEmpresaGrain>(Guid.NewGuid());

        Assert.Null(await empresa.GetProfileAsync());
        var update = await empresa.UpdateProfileAsync(new Actor(Guid.NewGuid(), Roles.Admin), new EmpresaSettings("X", null, null, null, null, null, null));
        Assert.Equal(ProblemKind.NotFound, update.Problem?.Kind);
    }

    [Fact]
    public async Task Audit_filters_by_entity_user_and_time_and_pages_newest_first()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var empresa = _grains.GetGrain<IEmpresaGrain>(admin.EmpresaId);
        for (var i = 0; i < 3; i++)
        {
            Scenario.Ok(await empresa.CreateUserAsync(admin.AsAdmin(), new NewUser($"Vendedor {i}", Scenario.NewEmail(), "clave-1234", Roles.Seller)));
        }

        // The admin's own creation at registration, then the three: newest first.
        var all = await empresa.QueryAuditAsync(new AuditQuery("usuario", "crear", admin.UserId, null, null, 1, 10));
        Assert.Equal(4, all.Total);
        Assert.Equal(all.Items.OrderByDescending(e => e.CreatedAt).Select(e => e.Id), all.Items.Select(e => e.Id));

        // Time bounds taken from the entries themselves, not the test's clock: "from" is inclusive, "to" exclusive.
        var secondOldest = all.Items[^2].CreatedAt;
        var users = await empresa.QueryAuditAsync(new AuditQuery("usuario", "crear", admin.UserId, secondOldest, null, 1, 2));
        Assert.Equal(3, users.Total);
        Assert.Equal(all.Items.Take(2).Select(e => e.Id), users.Items.Select(e => e.Id));
        var secondPage = await empresa.QueryAuditAsync(new AuditQuery("usuario", "crear", admin.UserId, secondOldest, null, 2, 2));
        Assert.Equal([all.Items[2].Id], secondPage.Items.Select(e => e.Id));
        var earlier = await empresa.QueryAuditAsync(new AuditQuery("usuario", "crear", admin.UserId, null, secondOldest, 1, 10));
        Assert.Equal([all.Items[^1].Id], earlier.Items.Select(e => e.Id));
        var newest = (await empresa.QueryAuditAsync(new AuditQuery(null, null, null, null, null, 1, 1))).Items.Single().CreatedAt;
        var future = await empresa.QueryAuditAsync(new AuditQuery(null, null, null, newest.AddTicks(10), null, 1, 10));
        Assert.Equal(0, future.Total);
        var otherUser = await empresa.QueryAuditAsync(new AuditQuery(null, null, Guid.NewGuid(), null, null, 1, 10));
        Assert.Empty(otherUser.Items);
    }
}
