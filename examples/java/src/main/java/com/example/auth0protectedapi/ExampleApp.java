package com.example.auth0protectedapi;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Synthesizes the example API into ./cdk.out. Point it at your tenant with AUTH0_DOMAIN and AUTH0_AUDIENCE,
 * and at your browser app with ALLOWED_ORIGINS (comma-separated origins).
 */
public final class ExampleApp {
    public static void main(final String[] args) {
        App app = new App(AppProps.builder().outdir("cdk.out").build());
        ExampleStack stack = new ExampleStack(app, "Auth0ProtectedApiExample",
                Objects.requireNonNullElse(System.getenv("AUTH0_DOMAIN"), "example.us.auth0.com"),
                Objects.requireNonNullElse(System.getenv("AUTH0_AUDIENCE"), "https://api.example.com"),
                allowOrigins(),
                StackProps.builder().build());
        // The same API as an HTTP API (Auth0ProtectedHttpApi).
        new HttpApiExampleStack(app, "Auth0ProtectedHttpApiExample",
                Objects.requireNonNullElse(System.getenv("AUTH0_DOMAIN"), "example.us.auth0.com"),
                Objects.requireNonNullElse(System.getenv("AUTH0_AUDIENCE"), "https://api.example.com"),
                StackProps.builder().build());
        // The same API as a REST API you already have, handed over (restApi), and as an HTTP API whose
        // routes use the authorizer alone (Auth0HttpAuthorizer).
        new ExistingApiExampleStack(app, "Auth0ExistingApiExample",
                Objects.requireNonNullElse(System.getenv("AUTH0_DOMAIN"), "example.us.auth0.com"),
                Objects.requireNonNullElse(System.getenv("AUTH0_AUDIENCE"), "https://api.example.com"),
                allowOrigins(),
                StackProps.builder().build());
        new StandaloneAuthorizerExampleStack(app, "Auth0StandaloneAuthorizerExample",
                Objects.requireNonNullElse(System.getenv("AUTH0_DOMAIN"), "example.us.auth0.com"),
                Objects.requireNonNullElse(System.getenv("AUTH0_AUDIENCE"), "https://api.example.com"),
                StackProps.builder().build());
        CloudAssembly assembly = app.synth();

        System.out.println("CloudFormation template: "
                + Path.of(assembly.getDirectory(), assembly.getStackByName(stack.getStackName()).getTemplateFile()));
        System.out.println("Protected routes (Authorization: Bearer <access token>):");
        stack.getApi().getProtectedRoutes().forEach(route -> System.out.println("  " + route));
        System.out.println("Public routes:");
        stack.getApi().getPublicRoutes().forEach(route -> System.out.println("  " + route));
    }

    /** ALLOWED_ORIGINS, comma-separated, or the example's origin. */
    private static List<String> allowOrigins() {
        return Arrays.stream(Objects.requireNonNullElse(System.getenv("ALLOWED_ORIGINS"), "https://app.example.com").split(","))
                .map(String::trim).filter(origin -> !origin.isEmpty()).collect(Collectors.toList());
    }

    private ExampleApp() {
    }
}
