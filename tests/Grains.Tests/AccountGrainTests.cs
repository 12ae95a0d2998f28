using AgenteVendedor.Accounts;
using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Tenancy;
using Dapper;

namespace AgenteVendedor.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Registering_creates_an_empresa_whose_first_user_is_its_admin()
    {
        var email = Scenario.NewEmail();
        var user = await Scenario.RegisterAsync(_grains, email, "Ferretería Central");

        var empresa = _grains.GetGrain<IEmpresaGrain>(user.EmpresaId);
        var profile = await empresa.GetProfileAsync();
        Assert.NotNull(profile);
        Assert.Equal("Ferretería Central", profile.Name);
        Assert.Equal("COP", profile.Currency);
        Assert.Equal(EmpresaDefaults.TimeZone, profile.TimeZone);
        var admin = await empresa.FindUserAsync(user.UserId);
        Assert.Equal((email, Roles.Admin, true), (admin!.Email, admin.Role, admin.Active));

        var audit = await empresa.QueryAuditAsync(new AuditQuery(null, null, null, null, null, 1, 50));
        Assert.Equal(["empresa/crear", "usuario/crear"], audit.Items.Select(e => $"{e.Entity}/{e.Action}").Order());
        Assert.All(audit.Items, e => Assert.Equal(user.UserId, e.UserId));
        Assert.DoesNotContain(audit.Items, e => e.DetailJson.Contains("pbkdf2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registering_a_taken_email_is_a_conflict_and_creates_nothing()
    {
        var email = Scenario.NewEmail();
        await Scenario.RegisterAsync(_grains, email);
        await using var connection = await fixture.Database.OpenAsync();
        var tenantsBefore = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tenants");

        var again = await _grains.GetGrain<IAccountGrain>(email)
            .RegisterAsync(new Registration("Otra empresa", "COP", "es-CO", "Intruso", "otra-clave-123"));

        Assert.Equal(ProblemKind.Conflict, again.Problem?.Kind);
        Assert.Equal(tenantsBefore, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tenants"));
    }

    [Fact]
    public async Task Signing_in_needs_the_right_password_and_answers_unknown_emails_the_same_way()
    {
        var email = Scenario.NewEmail();
        var user = await Scenario.RegisterAsync(_grains, email);

        var ok = Scenario.Ok(await _grains.GetGrain<IAccountGrain>(email).SignInAsync(Scenario.Password, Scenario.Client));
        var wrong = await _grains.GetGrain<IAccountGrain>(email).SignInAsync("no-es-la-clave", Scenario.Client);
        var unknown = await _grains.GetGrain<IAccountGrain>(Scenario.NewEmail("nadie")).SignInAsync(Scenario.Password, Scenario.Client);

        Assert.Equal(user, ok);
        Assert.Equal(ProblemKind.Unauthorized, wrong.Problem?.Kind);
        Assert.Equal(wrong.Problem, unknown.Problem);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_the_lock_survives_deactivation()
    {
        var email = Scenario.NewEmail();
        await Scenario.RegisterAsync(_grains, email);
        var account = _grains.GetGrain<IAccountGrain>(email);
        for (var i = 0; i < AccountGrain.MaxFailures; i++)
        {
            Assert.Equal(ProblemKind.Unauthorized, (await account.SignInAsync("mala-" + i, Scenario.Client)).Problem?.Kind);
        }

        var locked = await account.SignInAsync(Scenario.Password, Scenario.Client);
        Assert.Equal(ProblemKind.TooManyRequests, locked.Problem?.Kind);
        Assert.InRange(locked.Problem!.RetryAfterSeconds!.Value, 1, (int)AccountGrain.FailureWindow.TotalSeconds);

        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterDeactivation = await _grains.GetGrain<IAccountGrain>(email).SignInAsync(Scenario.Password, Scenario.Client);
        Assert.Equal(ProblemKind.TooManyRequests, afterDeactivation.Problem?.Kind);
    }

    [Fact]
    public async Task A_lock_out_is_per_client_so_a_stranger_cannot_lock_the_owner_out()
    {
        var email = Scenario.NewEmail();
        var owner = await Scenario.RegisterAsync(_grains, email);
        var account = _grains.GetGrain<IAccountGrain>(email);
        for (var i = 0; i < AccountGrain.MaxFailures; i++)
        {
            Assert.Equal(ProblemKind.Unauthorized, (await account.SignInAsync("adivinando-" + i, "198.51.100.66")).Problem?.Kind);
        }

        Assert.Equal(ProblemKind.TooManyRequests, (await account.SignInAsync(Scenario.Password, "198.51.100.66")).Problem?.Kind);
        Assert.Equal(owner, Scenario.Ok(await account.SignInAsync(Scenario.Password, Scenario.Client)));

        // Many strangers, one failure each: the state stays bounded and the owner still signs in.
        for (var i = 0; i < AccountGrain.MaxClients + 20; i++)
        {
            Assert.Equal(ProblemKind.Unauthorized, (await account.SignInAsync("otra", $"10.1.{i / 250}.{i % 250}")).Problem?.Kind);
        }

        Assert.Equal(owner, Scenario.Ok(await account.SignInAsync(Scenario.Password, Scenario.Client)));
    }

    [Fact]
    public async Task A_deactivated_user_cannot_sign_in()
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var empresa = _grains.GetGrain<IEmpresaGrain>(admin.EmpresaId);
        var sellerEmail = Scenario.NewEmail("vendedor");
        var seller = Scenario.Ok(await empresa.CreateUserAsync(admin.AsAdmin(), new NewUser("Luis", sellerEmail, "clave-vendedor", Roles.Seller)));
        Assert.True((await _grains.GetGrain<IAccountGrain>(sellerEmail).SignInAsync("clave-vendedor", Scenario.Client)).Succeeded);

        Scenario.Ok(await empresa.UpdateUserAsync(admin.AsAdmin(), seller.Id, new UserChanges(null, null, Active: false)));

        Assert.Equal(ProblemKind.Unauthorized, (await _grains.GetGrain<IAccountGrain>(sellerEmail).SignInAsync("clave-vendedor", Scenario.Client)).Problem?.Kind);
    }
}
