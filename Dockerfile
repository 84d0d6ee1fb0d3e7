# The iamguard command line in a small image (also what the pre-commit hook runs):
#   docker build -t iamguard .
#   docker run --rm -v "$PWD:/work" iamguard check --registry registry.yaml --user etl sql/
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml LICENSE ./
COPY src/main ./src/main
RUN mvn -B -q -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package

FROM eclipse-temurin:17-jre
COPY --from=build /build/target/iamguard-cli.jar /opt/iamguard/iamguard-cli.jar
COPY --from=build /build/LICENSE /opt/iamguard/LICENSE
RUN printf '#!/bin/sh\nexec java -jar /opt/iamguard/iamguard-cli.jar "$@"\n' > /usr/local/bin/iamguard \
    && chmod 755 /usr/local/bin/iamguard
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["iamguard"]
CMD ["--help"]
