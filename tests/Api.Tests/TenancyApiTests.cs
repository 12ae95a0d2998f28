using System.Net;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TenancyApiTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    [Fact]
    public async Task Roles_are_enforced_as_the_contract_says()
    {
        var tenant = await _anonymous.RegisterAsync();
        var (observer, _, _) = await _anonymous.AddUserAsync(tenant, "observador");
        var (seller, _, _) = await _anonymous.AddUserAsync(tenant, "vendedor");

        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("/empresa")).Status);
        Assert.Equal(HttpStatusCode.OK, (await observer.GetAsync("/auth/yo")).Status);
        (await observer.PutAsync("/empresa", new { nombre = "Tomada" })).AssertProblem(HttpStatusCode.Forbidden);
        (await seller.PutAsync("/empresa", new { nombre = "Tomada" })).AssertProblem(HttpStatusCode.Forbidden);
        (await seller.GetAsync("/usuarios")).AssertProblem(HttpStatusCode.Forbidden);
        (await seller.PostAsync("/usuarios", new { nombre = "X", email = "x@ejemplo.co", password = "12345678", rol = "admin" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        (await observer.GetAsync("/auditoria")).AssertProblem(HttpStatusCode.Forbidden);

        var empresa = await tenant.Admin.GetAsync("/empresa");
        Assert.Equal("Ferretería La Tuerca", empresa.Json["nombre"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_empresas_admin_gets_404_for_our_user()
    {
        var ours = await _anonymous.RegisterAsync("Nuestra ferretería");
        var theirs = await _anonymous.RegisterAsync("Su ferretería");
        var (_, sellerId, _) = await _anonymous.AddUserAsync(ours, "vendedor");

        (await theirs.Admin.GetAsync($"/usuarios/{sellerId}")).AssertProblem(HttpStatusCode.NotFound);
        (await theirs.Admin.PatchAsync($"/usuarios/{sellerId}", new { activo = false })).AssertProblem(HttpStatusCode.NotFound);
        (await theirs.Admin.PatchAsync($"/usuarios/{ours.AdminId}", new { rol = "observador" })).AssertProblem(HttpStatusCode.NotFound);

        var seller = await ours.Admin.GetAsync($"/usuarios/{sellerId}");
        Assert.True(seller.Json["activo"]!.GetValue<bool>());
        var theirUsers = await theirs.Admin.GetAsync("/usuarios");
        Assert.DoesNotContain(sellerId.ToString(), theirUsers.Body, StringComparison.Ordinal);
        var theirAudit = await theirs.Admin.GetAsync("/auditoria");
        Assert.DoesNotContain(ours.EmpresaId.ToString(), theirAudit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empresa_settings_change_and_absent_fields_keep_their_value()
    {
        var tenant = await _anonymous.RegisterAsync();

        var put = await tenant.Admin.PutAsync("/empresa", new
        {
            tono = "profesional", instrucciones = "Ofrece siempre la garantía.", nombre_agente = "Tuerquita", moneda = "mxn",
            cultura = "es-MX", zona_horaria = "America/Mexico_City",
        });
        Assert.Equal(HttpStatusCode.OK, put.Status);

        var second = await tenant.Admin.PutAsync("/empresa", new { nombre = "La Tuerca Dorada" });
        Assert.Equal(HttpStatusCode.OK, second.Status);
        var empresa = await tenant.Admin.GetAsync("/empresa");
        Assert.Equal(
            ("La Tuerca Dorada", "profesional", "Tuerquita", "MXN", "es-MX", "America/Mexico_City", "Ofrece siempre la garantía."),
            (empresa.Json["nombre"]!.GetValue<string>(), empresa.Json["tono"]!.GetValue<string>(),
             empresa.Json["nombre_agente"]!.GetValue<string>(), empresa.Json["moneda"]!.GetValue<string>(),
             empresa.Json["cultura"]!.GetValue<string>(), empresa.Json["zona_horaria"]!.GetValue<string>(),
             empresa.Json["instrucciones"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Users_are_created_listed_paged_and_protected()
    {
        var tenant = await _anonymous.RegisterAsync();
        await _anonymous.AddUserAsync(tenant, "vendedor");
        await _anonymous.AddUserAsync(tenant, "observador");

        var page = await tenant.Admin.GetAsync("/usuarios?pagina=2&tamano=2");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal((3, 2, 2, 1), (page.Json["total"]!.GetValue<int>(), page.Json["pagina"]!.GetValue<int>(),
            page.Json["tamano"]!.GetValue<int>(), page.Json["items"]!.AsArray().Count));
        Assert.DoesNotContain("password", page.Body, StringComparison.OrdinalIgnoreCase);

        (await tenant.Admin.GetAsync("/usuarios?tamano=501")).AssertProblem(HttpStatusCode.UnprocessableEntity);
        var lastAdmin = await tenant.Admin.PatchAsync($"/usuarios/{tenant.AdminId}", new { rol = "vendedor" });
        lastAdmin.AssertProblem(HttpStatusCode.Conflict);
        var badRole = await tenant.Admin.PostAsync("/usuarios", new { nombre = "Jefe", email = "jefe@ejemplo.co", password = "12345678", rol = "jefe" });
        badRole.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(badRole.ErrorsFor("rol"));
    }

    [Fact]
    public async Task Every_mutation_is_in_the_audit_log_with_who_did_it()
    {
        var tenant = await _anonymous.RegisterAsync();
        var (_, sellerId, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        await tenant.Admin.PatchAsync($"/usuarios/{sellerId}", new { nombre = "Vendedor estrella" });
        await tenant.Admin.PutAsync("/empresa", new { tono = "formal" });

        var audit = await tenant.Admin.GetAsync("/auditoria");
        var actions = audit.Json["items"]!.AsArray()
            .Select(i => $"{i!["entidad"]!.GetValue<string>()}/{i["accion"]!.GetValue<string>()}").ToList();
        Assert.Equal(["empresa/actualizar", "usuario/actualizar", "usuario/crear", "usuario/crear", "empresa/crear"], actions);
        Assert.All(audit.Json["items"]!.AsArray(), i => Assert.Equal(tenant.AdminId.ToString(), i!["usuario_id"]!.GetValue<string>()));
        var rename = audit.Json["items"]!.AsArray()[1]!;
        Assert.Equal("Vendedor estrella", rename["detalle"]!["despues"]!["nombre"]!.GetValue<string>());

        var onlyUsers = await tenant.Admin.GetAsync("/auditoria?entidad=usuario&accion=crear");
        Assert.Equal(2, onlyUsers.Json["total"]!.GetValue<int>());
        var none = await tenant.Admin.GetAsync($"/auditoria?desde={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Equal(0, none.Json["total"]!.GetValue<int>());
    }
}
