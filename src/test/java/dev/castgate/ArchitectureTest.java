package dev.castgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The package graph stays one-way (docs/design-notes.md has the map): a package that needs
 * another's class either sits above it or the class moves to a package both can use.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.castgate");

    /** Each package is a slice of its own, the root package and nested ones included. */
    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() { return "packages of dev.castgate"; }
    };

    @Test
    void noPackageIsInACycle() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theDomainNeedsNothingButTheJdk() {
        noClasses().that().resideInAPackage("dev.castgate.domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.castgate.domain..", "java..")
                .check(MAIN);
    }

    @Test
    void onlyTheCompositionRootKnowsHowDataIsStored() {
        noClasses().that().resideOutsideOfPackages("dev.castgate", "dev.castgate.store.jdbc..")
                .should().dependOnClassesThat().resideInAPackage("dev.castgate.store.jdbc..")
                .check(MAIN);
    }

    @Test
    void theHttpHelpersKnowNoEndpoint() {
        noClasses().that().resideInAPackage("dev.castgate.http")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.castgate.http", "dev.castgate.error", "java..",
                        "io.javalin..", "jakarta.servlet..", "com.fasterxml.jackson..", "kotlin..", "org.slf4j..")
                .check(MAIN);
    }
}
