using System.Net;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthApiTests(ApiFixture fixture)
{
    private readonly ApiClient _anonymous = fixture.Anonymous();

    [Fact]
    public async Task Register_then_login_then_who_am_i()
    {
        var email = $"dueña.{Guid.NewGuid():N}@ejemplo.co";
        var tenant = await _anonymous.RegisterAsync("Ferretería Doña Rosa", email);

        var login = await _anonymous.PostAsync("/auth/login", new { email = email.ToUpperInvariant(), password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal("bearer", login.Json["token_type"]!.GetValue<string>());
        // Jwt:LifetimeMinutes is 60 by default: the answer and the token itself say the same hour.
        Assert.Equal(3600, login.Json["expires_in"]!.GetValue<int>());
        var payload = login.Json["access_token"]!.GetValue<string>().Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = System.Text.Json.Nodes.JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')))!;
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.Equal(tenant.EmpresaId.ToString(), login.Json["empresa_id"]!.GetValue<string>());

        var me = await _anonymous.WithToken(login.Json["access_token"]!.GetValue<string>()).GetAsync("/auth/yo");
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(email, me.Json["email"]!.GetValue<string>());
        Assert.Equal("admin", me.Json["rol"]!.GetValue<string>());
        Assert.Equal("Ferretería Doña Rosa", me.Json["empresa_nombre"]!.GetValue<string>());
        Assert.Equal(tenant.AdminId.ToString(), me.Json["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Registration_always_creates_a_new_empresa()
    {
        var first = await _anonymous.RegisterAsync("Ferretería Gemela");
        var second = await _anonymous.RegisterAsync("Ferretería Gemela");

        Assert.NotEqual(first.EmpresaId, second.EmpresaId);
        var users = await second.Admin.GetAsync("/usuarios");
        Assert.Equal(1, users.Json["total"]!.GetValue<int>());

        var sameEmail = await _anonymous.PostAsync("/auth/registro", new
        {
            empresa = new { nombre = "Ferretería Gemela" },
            usuario = new { nombre = "Otro", email = first.AdminEmail, password = "otra-clave-123" },
        });
        sameEmail.AssertProblem(HttpStatusCode.Conflict);
        Assert.NotEmpty(sameEmail.ErrorsFor("usuario.email"));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        var tenant = await _anonymous.RegisterAsync();

        var wrong = await _anonymous.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = "no-es-esta" });
        var unknown = await _anonymous.PostAsync("/auth/login", new { email = "nadie@ejemplo.co", password = "no-es-esta" });

        wrong.AssertProblem(HttpStatusCode.Unauthorized);
        unknown.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(wrong.Detail, unknown.Detail);
    }

    [Fact]
    public async Task Repeated_failures_get_429_with_retry_after_even_for_the_right_password()
    {
        var tenant = await _anonymous.RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            (await _anonymous.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = $"intento-{i}" }))
                .AssertProblem(HttpStatusCode.Unauthorized);
        }

        var blocked = await _anonymous.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = ApiClient.Password });

        blocked.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(blocked.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Intenta de nuevo", blocked.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_reports_every_invalid_field_in_spanish()
    {
        var answer = await _anonymous.PostAsync("/auth/registro", new
        {
            empresa = new { nombre = "", moneda = "PESOS", cultura = "xx-YY", zona_horaria = "Marte/Olympus" },
            usuario = new { nombre = "Ana", email = "no-es-correo", password = "corta" },
        });

        answer.AssertProblem(HttpStatusCode.UnprocessableEntity);
        foreach (var field in new[] { "empresa.nombre", "empresa.moneda", "empresa.cultura", "empresa.zona_horaria", "usuario.email", "usuario.password" })
        {
            Assert.NotEmpty(answer.ErrorsFor(field));
        }

        Assert.Contains("8", answer.ErrorsFor("usuario.password")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_get_401()
    {
        var tenant = await _anonymous.RegisterAsync();

        (await _anonymous.GetAsync("/empresa")).AssertProblem(HttpStatusCode.Unauthorized);
        (await _anonymous.WithToken("no.es.un-token").GetAsync("/empresa")).AssertProblem(HttpStatusCode.Unauthorized);
        var token = tenant.Admin.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var tampered = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        (await _anonymous.WithToken(tampered).GetAsync("/empresa")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_deactivated_user_is_locked_out_at_once_and_a_role_change_applies_at_once()
    {
        var tenant = await _anonymous.RegisterAsync();
        var (seller, sellerId, _) = await _anonymous.AddUserAsync(tenant, "vendedor");
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync("/empresa")).Status);

        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PatchAsync($"/usuarios/{sellerId}", new { rol = "admin" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync("/usuarios")).Status);

        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PatchAsync($"/usuarios/{sellerId}", new { activo = false })).Status);
        (await seller.GetAsync("/empresa")).AssertProblem(HttpStatusCode.Unauthorized);
    }
}
