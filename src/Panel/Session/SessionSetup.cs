using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace AgenteVendedor.Panel.Session;

public static class SessionSetup
{
    public static IServiceCollection AddPanelSession(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        var maxSessions = config.GetValue("Session:MaxSessions", 10_000);
        services.AddSingleton(new MemoryTicketStore(new MemoryCache(new MemoryCacheOptions { SizeLimit = maxSessions })));
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, TicketStoreSetup>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "agentevendedor_panel";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/ingresar";
            o.LogoutPath = "/salir";
            o.AccessDeniedPath = "/";
            o.ReturnUrlParameter = "volver";
            // A session lasts as long as the Api token inside it, and no longer.
            o.SlidingExpiration = false;
        });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddScoped<ApiSession>();
        return services;
    }
}

/// <summary>Signs the circuit out when the Api token inside the session expires, so the page returns to Ingresar.</summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, TimeProvider? clock = null)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        Task.FromResult(PanelClaims.IsCurrent(state.User, _clock.GetUtcNow()));
}
